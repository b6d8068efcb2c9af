"""Fixtures of the wire desk tests: the desk's user, its default section, ninjs files."""

import json
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = FIXTURES / "examples"


@pytest.fixture
def wire_settings(settings, section):
    """Stories go to the "World" section by default."""
    settings.NEWS_WIRE_DEFAULT_SECTION = section.slug
    return settings


@pytest.fixture
def wire_user(db, wire_settings):
    from wire.permissions import wire_user

    return wire_user()


@pytest.fixture
def desk(section, wire_user):
    """A WireDesk filing into "World" as the wire user, submitting for review."""
    from wire.importer import WireDesk

    return WireDesk(section, wire_user)


@pytest.fixture
def example():
    """An example file's item: example("2.x/ntb_text.json")."""

    def load(name):
        return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture
def write_json(tmp_path):
    """Writes an item (or anything) to a .json file and returns its path."""

    def write(name, data):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def no_remote_pictures(settings):
    """Pictures come only from the test server on 127.0.0.1: no test reaches the network."""
    settings.NEWS_WIRE_PICTURE_HOSTS = ["127.0.0.1"]
    settings.NEWS_WIRE_PICTURE_TIMEOUT = 2


@pytest.fixture
def picture_server():
    """An HTTP server on 127.0.0.1 serving `picture_server.files` {path: bytes}.

    "/slow…" paths answer after 3 seconds (longer than the test timeout).
    """
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith("/slow"):
                time.sleep(3)
            data = files.get(self.path)
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.files = files
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
