"""`make run`: the development server, with a local SMTP sink that keeps every email in instance/mail/.

The sink starts first and stops when the server stops (Ctrl-C). When MAIL_SERVER is set, mail goes
there instead and no sink is started. BASE_URL comes from the Makefile: http://HOST:PORT unless set.
"""
import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from events_app.mail.sink import start_sink  # noqa: E402 - needs the project root on the path


def main() -> int:
    """Start the sink (unless MAIL_SERVER is set), then `flask run`; stop the sink when it ends."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="5000")
    parser.add_argument("--mail-port", type=int, default=8025)
    args = parser.parse_args()
    env = dict(os.environ)
    sink = None
    if not env.get("MAIL_SERVER"):
        folder = ROOT / "instance" / "mail"
        sink = start_sink(folder, port=int(env.get("MAIL_PORT") or args.mail_port))
        env["MAIL_SERVER"], env["MAIL_PORT"] = sink.hostname, str(sink.port)
        print(f"Mail is kept in {folder}/ (one .eml file per message) and shown at "
              f"http://{args.host}:{args.port}/manage/mail/  (SMTP sink on {sink.hostname}:{sink.port})",
              flush=True)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host", args.host, "--port", args.port]
    try:
        return subprocess.call(flask, cwd=ROOT, env=env)
    except KeyboardInterrupt:  # Ctrl-C reaches the server too; it stops on its own
        return 130
    finally:
        if sink is not None:
            sink.stop()


if __name__ == "__main__":
    sys.exit(main())
