"""Secrets: what is a credential key, what is a reference, and that no literal credential
passes `check`, reaches `compile`'s files, or appears in any output or message.

The command-line cases are the secret cases of the security reproducer (issue 12):
template_default_secret, nested_secret_mapping, overlay_secret, credential_spellings,
partial_mask.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from floe_lint.masking import mask
from floe_lint.secrets import is_reference, is_secret_key, key_words, literal_credentials
from tests.conftest import run_cli, write_files

SECRET = "hunter2"
PRODUCT = """
name: orders
version: '1.0.0'
platform: {ref: manifest.yaml}
transforms:
  - {type: dbt, path: models/a/}
"""


def _postgres(password: str) -> str:
    return (
        "plugins:\n  compute:\n    approved:\n      - name: postgres\n"
        "        config: {host: db.internal, dbname: analytics, "
        f"user: \"{{{{ env_var('PG_USER') }}}}\", password: {password}}}\n"
        "    default: postgres\n"
    )


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "dbPassword",
        "accessToken",
        "secretAccessKey",
        "userPassword",
        "passcode",
        "password1",
        "passwords",
        "pass",
        "pw",
        "pwd",
        "PASSWORD",
        "db-password",
        "db.password",
        "s3_secret_access_key",
        "private_key",
        "privateKey",
        "api_key",
        "apiKey",
        "APIKey",
        "client_secret",
        "keyfile",
        "keyfile_json",
        "OAuth2Token",
        "private_key_passphrase",
    ],
)
def test_credential_spellings_are_secret_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "passthrough",
        "bypass",
        "compass",
        "passenger",
        "password_env_var",
        "passwordEnvVar",
        "private_key_path",
        "connection_secret_ref",
        "secret_name",
        "token_url",
        "token_ttl",
        "keys",
        "key",
        "user",
        "host",
        "monkey",
        "tokenizer",
        "",
    ],
)
def test_lookalikes_and_names_of_where_a_credential_is_are_not_secret_keys(key: str) -> None:
    assert not is_secret_key(key)


def test_keys_split_at_case_changes_separators_and_digits() -> None:
    assert key_words("secretAccessKey") == ["secret", "access", "key"]
    assert key_words("HTTPToken") == ["http", "token"]
    assert key_words("db_password-2.x") == ["db", "password", "2", "x"]
    assert key_words("password1") == ["password", "1"]


@pytest.mark.parametrize(
    "value",
    [
        "{{ env_var('POSTGRES_PASSWORD') }}",
        '{{env_var("PW")}}',
        "  {{ env_var('PORT') | as_number }}  ",
        "{{ env_var('PASSPHRASE', '') }}",
    ],
)
def test_a_bare_env_var_is_a_reference(value: str) -> None:
    assert is_reference(value)


@pytest.mark.parametrize(
    "value",
    [
        "{{ env_var('POSTGRES_PASSWORD', 'hunter2') }}",
        "{{ env_var('PW') or 'hunter2' }}",
        "{{ 'hunter2' }}",
        "${PW:-hunter2}",
        "${PW}",
        "hunter2 {{ env_var('PW') }}",
        "{{ env_var('PW') }}{{ 'x' }}",
        "hunter2",
        "",
    ],
)
def test_defaults_literal_templates_and_shell_forms_are_not_references(value: str) -> None:
    assert not is_reference(value)


def test_credentials_nested_in_mappings_and_lists_are_found() -> None:
    data = {
        "settings": {"s3_secret_access_key": {"value": "x"}, "region": "eu"},
        "password": ["x", "{{ env_var('PW') }}"],
        "credentials": {"type": "service_account", "secret_ref": "k8s-secret", "key": 5},
        "passthrough": "not a secret",
        "token": True,
    }
    assert list(literal_credentials(data)) == [
        ("settings", "s3_secret_access_key", "value"),
        ("password", 0),
        ("credentials", "key"),
    ]


def _check(tmp_path: Path, files: dict[str, str], *args: str) -> Any:
    write_files(tmp_path, files)
    return run_cli("check", ".", "--format", "json", *args)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "password",
    [
        f"\"{{{{ env_var('POSTGRES_PASSWORD', '{SECRET}') }}}}\"",
        f"\"{{{{ '{SECRET}' }}}}\"",
        f'"${{PG_PW:-{SECRET}}}"',
    ],
)
def test_a_literal_hidden_in_a_template_is_reported_and_never_compiled_or_printed(
    workdir: Path, password: str
) -> None:
    write_files(workdir, {"manifest.yaml": _postgres(password), "floe.yaml": PRODUCT})
    outputs = []
    for fmt in ("text", "json", "sarif", "github"):
        run = run_cli("check", ".", "--format", fmt, "--show-source")
        assert run.code == 1
        outputs += [run.stdout, run.stderr]
    assert [f["line"] for f in json.loads(outputs[2])["findings"]] == [5]
    assert json.loads(outputs[2])["findings"][0]["name"] == "secret-literal"
    build = run_cli("compile", "floe.yaml", "--out", "out")
    assert build.code == 1
    assert "nothing written" in build.stderr
    assert not (workdir / "out").exists()
    assert SECRET not in "".join([*outputs, build.stdout, build.stderr])


def test_a_plugin_refuses_a_literal_credential_even_when_lint_is_skipped() -> None:
    from floe_lint.compute.plugin import ComputeConfig, PluginError, registry
    from floe_lint.compute.render import render_profile

    plugin = registry().get("duckdb")
    assert plugin is not None
    config = ComputeConfig("duckdb", None, {"settings": {"s3_secret_access_key": {"v": SECRET}}})
    with pytest.raises(PluginError) as raised:
        render_profile(plugin, config)
    assert "settings.s3_secret_access_key.v" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_credentials_nested_under_a_secret_key_are_reported(workdir: Path) -> None:
    run = _check(
        workdir,
        {
            "manifest.yaml": "plugins: {compute: {approved: [{name: duckdb, config: {settings: "
            "{s3_secret_access_key: {value: " + SECRET + "}, password: [" + SECRET + "]}}}], "
            "default: duckdb}}\n",
            "floe.yaml": PRODUCT,
        },
    )
    pointers = [f["pointer"] for f in run.named("secret-literal")]
    base = "/plugins/compute/approved/0/config/settings"
    assert pointers == [f"{base}/s3_secret_access_key/value", f"{base}/password/0"]
    build = run_cli("compile", "floe.yaml", "--out", "out")
    assert build.code == 1
    assert not (workdir / "out").exists()


@pytest.mark.parametrize("overlay", ["manifest.prod.yaml", "floe.dev.yaml"])
def test_per_environment_overlays_are_scanned_for_secrets(workdir: Path, overlay: str) -> None:
    files = {
        "manifest.yaml": _postgres("\"{{ env_var('PG_PW') }}\""),
        "floe.yaml": PRODUCT,
    }
    if overlay.startswith("manifest"):
        files[overlay] = _postgres(SECRET)
    else:
        files[overlay] = PRODUCT + f"settings: {{token: {SECRET}}}\n"
    run = _check(workdir, files)
    assert run.code == 1
    assert [f["file"] for f in run.named("secret-literal")] == [overlay]


def test_every_common_credential_spelling_is_reported_at_its_line(workdir: Path) -> None:
    keys = ["dbPassword", "accessToken", "secretAccessKey", "userPassword", "passcode"]
    keys += ["password1", "passwords", "pass", "pw", "passthrough", "bypass", "password_env_var"]
    settings = "".join(f"            {k}: {SECRET}{i}\n" for i, k in enumerate(keys))
    manifest = (
        "plugins:\n  compute:\n    approved:\n      - name: duckdb\n        config:\n"
        "          settings:\n" + settings + "    default: duckdb\n"
    )
    run = _check(workdir, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})
    lines = [f["line"] for f in run.named("secret-literal")]
    assert lines == list(range(7, 16))  # the nine credentials, not the last three keys


def test_plugin_config_messages_say_what_is_expected_and_never_the_value(
    workdir: Path,
) -> None:
    manifest = (
        "plugins:\n  compute:\n    approved:\n      - name: bigquery\n"
        "        config: {project: p, keyfile: /secrets/x.json, method: oauth}\n"
        "      - name: postgres\n"
        "        config: {host: h, dbname: d, user: bob-the-admin, password: \"{{ env_var('P') }}\"}\n"
        "      - name: duckdb\n"
        "        config: {memory_limit: lots-of-memory, env_prefix: lower_case}\n"
        "    default: duckdb\n"
    )
    run = _check(workdir, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})
    messages = [f["message"] for f in run.findings]
    text = "\n".join(messages)
    for value in ("/secrets/x.json", "bob-the-admin", "lots-of-memory", "lower_case", "^", "\\"):
        assert value not in text
    assert "compute 'postgres' config 'user' must be {{ env_var('NAME') }}" in text
    assert "'memory_limit' does not have the expected form (a size such as 4GB" in text
    assert [f["name"] for f in run.findings].count("secret-literal") == 1  # keyfile


def test_show_source_masks_the_whole_value_however_punctuated(workdir: Path) -> None:
    manifest = (
        "plugins:\n  compute:\n    approved:\n      - name: duckdb\n        config:\n"
        "          settings:\n"
        f"            db_password: {SECRET}#tail1\n"
        f"            pwd: {SECRET},tail2\n"
        f"            token: '{SECRET} '' tail3'\n"
        f"            api_key: |\n              {SECRET}tail4\n"
        f"            s3_secret_access_key: {{value: {SECRET}tail5}}\n"
        "    default: duckdb\n"
    )
    write_files(workdir, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})
    run = run_cli("check", ".", "--show-source")
    assert run.code == 1
    assert SECRET not in run.stdout
    assert "tail" not in run.stdout
    assert "db_password: *************" in run.stdout


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("password: hunter2#tail", "password: ************"),
        ("pwd: hunter2,tail # note", "pwd: ************ # note"),
        (
            '{user: u, "password": "hunter2, x", host: h}',
            '{user: u, "password": ************, host: h}',
        ),
        ("- {token: 'it''s', x: 1}", "- {token: *******, x: 1}"),
        ("password: \"{{ env_var('PW') }}\"", "password: \"{{ env_var('PW') }}\""),
        ("passthrough: yes", "passthrough: yes"),
        ("url: http://x:8080/path", "url: http://x:8080/path"),
        ("secret: [a, b]", "secret: ******"),
    ],
)
def test_a_source_line_is_masked_without_parsing_it(line: str, shown: str) -> None:
    assert mask(line) == shown


def test_fingerprints_and_baseline_hashes_are_taken_with_credentials_starred(
    workdir: Path,
) -> None:
    def hashes(secret: str) -> tuple[list[str], list[str]]:
        manifest = (
            "plugins:\n  compute:\n    approved:\n"
            f"      - {{name: duckdb, config: [{{password: {secret}}}]}}\n    default: duckdb\n"
        )
        write_files(workdir, {"manifest.yaml": manifest, "floe.yaml": PRODUCT})
        sarif = json.loads(run_cli("check", ".", "--format", "sarif").stdout)
        prints = [
            r["partialFingerprints"]["floeLintFingerprint/v1"] for r in sarif["runs"][0]["results"]
        ]
        assert run_cli("check", ".", "--write-baseline", "b.json").code == 0
        baseline = json.loads((workdir / "b.json").read_text("utf-8"))
        assert SECRET[:6] not in json.dumps(baseline)
        return prints, [e["hash"] for e in baseline["findings"]]

    first = hashes(SECRET)
    assert first[0] and first[1]
    assert hashes("xyzzy42") == first  # stars keep the length (carets align), nothing else


def test_plugin_names_under_the_secrets_category_are_not_credentials(lint) -> None:
    """Upstream's plugin category `secrets` lists plugin names (issue 20: reported twice)."""
    run = lint(
        {
            "manifest.yaml": """
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {name: acme, version: 1.0.0, owner: platform@acme.example}
            scope: enterprise
            plugins:
              compute: {type: duckdb}
              secrets: {type: kubernetes, config: {namespace: floe-secrets}}
            approved_plugins:
              compute: [duckdb]
              secrets: [kubernetes, external-secrets]
            """
        }
    )
    assert run.findings == []
    assert run.code == 0


def test_a_credential_inside_the_secrets_category_is_still_found(lint) -> None:
    run = lint(
        {
            "manifest.yaml": f"""
            apiVersion: floe.dev/v1
            kind: Manifest
            metadata: {{name: acme, version: 1.0.0, owner: platform@acme.example}}
            plugins:
              compute: {{type: duckdb}}
              secrets:
                type: infisical
                config: {{site_url: "https://vault.acme.example", client_secret: {SECRET}}}
            """
        }
    )
    (f,) = run.findings
    assert (f["name"], f["file"], f["line"], f["column"]) == (
        "secret-literal",
        "manifest.yaml",
        8,
        69,
    )
    assert f["message"].startswith("'client_secret' holds a literal credential")
    assert SECRET not in run.stdout
    # a top-level key named like a credential is still one (only plugin categories are not)
    assert list(literal_credentials({"secrets": ["x"]})) == [("secrets", 0)]
    assert list(literal_credentials({"plugins": {"secrets": ["x"]}})) == []
