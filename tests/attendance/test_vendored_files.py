"""The QR decoder the desk serves is npm's jsQR, byte for byte, with its licence; npm stays the source."""
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "events_app" / "static" / "vendor"


def test_the_vendored_jsqr_is_the_npm_packages_file():
    lock = json.loads((ROOT / "package-lock.json").read_text())
    pinned = lock["packages"]["node_modules/jsqr"]["version"]
    assert json.loads((ROOT / "package.json").read_text())["dependencies"]["jsqr"] == pinned
    installed = ROOT / "node_modules" / "jsqr"
    assert json.loads((installed / "package.json").read_text())["version"] == pinned, "run npm ci"
    assert (VENDOR / "jsQR.js").read_bytes() == (installed / "dist" / "jsQR.js").read_bytes(), (
        "copy node_modules/jsqr/dist/jsQR.js to events_app/static/vendor/ after upgrading jsqr")
    assert (VENDOR / "jsQR.LICENSE").read_bytes() == (installed / "LICENSE").read_bytes()


def test_the_desk_serves_the_decoder_itself(client):
    response = client.get("/static/vendor/jsQR.js")
    assert response.status_code == 200 and b"jsQR" in response.data[:2000]
