from __future__ import annotations

from pathlib import Path

import pytest

from emsys_rpa.errors import ConfigError, ExitStatus
from emsys_rpa.settings import load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_order_cli_env_toml_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = write(
        tmp_path,
        'username = "from-toml"\n[portal]\nurl = "https://toml.example"\ntimezone = "UTC"\n'
        "[run]\nverify_timeout_s = 30\n",
    )
    monkeypatch.setenv("EMSYS_PORTAL_URL", "https://env.example")
    monkeypatch.setenv("EMSYS_RUN_VERIFY_TIMEOUT_S", "45")
    settings = load_settings(cfg, {"run": {"verify_timeout_s": 60.0, "dry_run": None}})
    assert settings.username == "from-toml"  # only in TOML
    assert settings.portal.url == "https://env.example"  # env beats TOML
    assert settings.portal.timezone == "UTC"  # TOML beats default
    assert settings.run.verify_timeout_s == 60.0  # CLI beats env
    assert settings.run.dry_run is False  # an option not given hides nothing
    assert settings.portal.date_format == "%d/%m/%Y"  # default


def test_password_in_toml_is_refused_with_where_to_put_it(tmp_path: Path) -> None:
    cfg = write(tmp_path, 'username = "u"\npassword = "hunter2-secret"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    text = str(info.value)
    assert "EMSYS_PASSWORD" in text and "keyring" in text
    assert "hunter2-secret" not in text
    assert info.value.exit_status is ExitStatus.CONFIG_ERROR


def test_invalid_values_name_each_key(tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        '[portal]\nurl = "emsys.example"\ntimezone = "Mars/Olympus"\n[run]\nverify_timout_s = 3\n',
    )
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    problems = info.value.problems
    assert any(p.startswith("portal.url:") and "http" in p for p in problems)
    assert any(p.startswith("portal.timezone:") for p in problems)
    assert any("run.verify_timout_s" in p and "unknown key" in p for p in problems)


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_require_portal_lists_everything_missing() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(None).require_portal()
    assert len(info.value.problems) == 3


def test_password_from_env_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EMSYS_PASSWORD", "Very-Secret-42")
    settings = load_settings(None)
    assert settings.password is not None
    assert "Very-Secret-42" not in repr(settings)
    assert settings.password.get_secret_value() == "Very-Secret-42"


def test_a_misspelt_selector_key_is_refused_naming_the_nearest_one(tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        '[selectors]\nalerts_send = "role=button[name=/Expediaz/i]"\nalert_send = "#x"\n'
        'whatever_key = "#y"\n',
    )
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    text = str(info.value)
    assert "selectors: " in text
    assert "unknown key `alert_send`; did you mean `alerts_send`?" in text
    assert "unknown key `whatever_key`; see config.example.toml" in text
    assert info.value.exit_status is ExitStatus.CONFIG_ERROR


def test_known_selector_keys_are_kept(tmp_path: Path) -> None:
    cfg = write(tmp_path, '[selectors]\ninvoices_history_date_header = "Data expediere"\n')
    assert load_settings(cfg).selectors == {"invoices_history_date_header": "Data expediere"}
