"""floe_lint/compute/floe_storage.py reads a storage or catalog config as the published plugin's
pydantic model reads it and gives the profile (and the artifacts' `deployment`, the whole binding,
floe_lint/compute/floe_deployment.py) what the plugin's deployment binding gives: a
hypothesis property over generated configs (YAML's values: text, numbers, booleans, null, extra
keys), against floe-storage-minio, floe-storage-aws-s3 and floe-catalog-polaris 0.1.0a1 in
process (scripts/test installs them from scripts/oracle-plugins.txt).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from floe_lint.compute import floe_storage

#: values YAML gives, by the kind of field they are written for
VALUES = {
    "bool": [True, False, 0, 1, 2, 0.0, 1.0, "yes", "OFF", "t", "maybe", None, "lake"],
    "int": [5, 0, -1, 400, "10", " 10", "1_0", "+5", "x", 10.0, 10.5, True, None],
    "text": [
        *("", "lake", "http://minio:9000", "minio:9000", "ftp://x", 5, None, "environment"),
        *("a.b-c", "Lake", "my-token", "sysadmin", "admin7x", "http://u:p@m:9000"),
        *("http://m?apikey=1", "http://m#x_secret=1", "very.long." * 30),
    ],
}


def configs(fields: dict[str, Any], base: dict[str, Any]) -> Any:
    """`base` (a config the plugin takes) with up to three keys rewritten or added, a key no
    plugin has among them."""

    def values(key: str) -> Any:
        field = fields.get(key)
        kind = field.kind if field is not None and field.kind in VALUES else "text"
        return st.sampled_from(VALUES[kind])

    keys = st.lists(st.sampled_from([*fields, "bogus"]), max_size=3, unique=True)
    return keys.flatmap(
        lambda chosen: st.fixed_dictionaries({key: values(key) for key in chosen}).map(
            lambda changed: {**base, **changed}
        )
    )


def ours(build: Any, config: Any) -> Any:
    try:
        storage = build(config)
    except floe_storage.ConfigInvalid:
        return "refused"
    return storage.fragment, storage.env_refs, storage.binding


def theirs(model: Any, plugin: Any, config: Any) -> Any:
    from pydantic import ValidationError

    try:
        binding = plugin(model.model_validate(config)).get_deployment_binding()
    except ValidationError:
        return "refused"
    whole = binding.model_dump(mode="json", by_alias=True)
    return binding.dbt.profile_fragment, binding.dbt.env_refs, whole


@settings(max_examples=300, deadline=None, derandomize=True)
@given(configs(floe_storage.MINIO, {"endpoint": "http://minio:9000", "bucket": "lake"}))
def test_minio_is_read_and_translated_as_the_published_plugin_does(config: Any) -> None:
    from floe_storage_minio.config import MinIOStorageConfig
    from floe_storage_minio.plugin import MinIOStoragePlugin

    assert ours(floe_storage.minio, config) == theirs(
        MinIOStorageConfig, MinIOStoragePlugin, config
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    configs(
        floe_storage.AWS_S3,
        {"bucket": "lake", "region": "eu-west-1", "credential_mode": "environment"},
    ),
    st.sampled_from([None, "environment", "kubernetes-secret", "workload-identity", "iam"]),
)
def test_aws_s3_is_read_and_translated_as_the_published_plugin_does(
    config: Any, mode: str | None
) -> None:
    from floe_storage_aws_s3.config import AwsS3ObjectStoreConfig
    from floe_storage_aws_s3.plugin import AwsS3ObjectStorePlugin

    if mode is not None:
        config = {**config, "credential_mode": mode}
    assert ours(floe_storage.aws_s3, config) == theirs(
        AwsS3ObjectStoreConfig, AwsS3ObjectStorePlugin, config
    )


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    configs(
        {k: v for k, v in floe_storage.POLARIS.items() if k != "oauth2"},
        {"uri": "http://polaris:8181/api/catalog", "warehouse": "lake"},
    ),
    configs(
        floe_storage.OAUTH2,
        {"client_id": "floe", "client_secret": "{{ env_var('S') }}", "token_url": "http://p/t"},
    ),
)
def test_polaris_is_read_and_translated_as_the_published_plugin_does(
    config: Any, oauth2: Any
) -> None:
    from floe_catalog_polaris.config import PolarisCatalogConfig
    from floe_catalog_polaris.plugin import PolarisCatalogPlugin
    from floe_storage_minio.config import MinIOStorageConfig
    from floe_storage_minio.plugin import MinIOStoragePlugin
    from pydantic import ValidationError

    config = {**config, "oauth2": oauth2}
    storage_config = {"endpoint": "http://minio:9000", "bucket": "lake"}
    try:
        catalog = floe_storage.polaris(config, floe_storage.minio(storage_config))
        mine: Any = (catalog.iceberg_rest, catalog.binding)
    except floe_storage.ConfigInvalid:
        mine = "refused"
    try:
        plugin = PolarisCatalogPlugin(PolarisCatalogConfig.model_validate(config))
    except ValidationError:
        published: Any = "refused"
    else:
        storage = MinIOStoragePlugin(MinIOStorageConfig.model_validate(storage_config))
        built = plugin.build_catalog_deployment(storage.get_deployment_binding())
        dbt = built.dbt
        assert dbt is not None
        assert (dbt.profile_fragment, dbt.env_refs) == ({}, {})
        rest = dbt.iceberg_rest
        published = (
            rest.model_dump(mode="json") if rest is not None else None,
            built.model_dump(mode="json", by_alias=True),
        )
    assert mine == published
