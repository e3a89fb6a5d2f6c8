"""gunicorn settings for events_app behind nginx (deploy/nginx/events_app.conf); one file for every host.

Sync workers are right here because nginx sits in front: it reads each request whole and buffers each
response, so a slow phone on hotel wifi ties up an nginx connection (cheap), never a Python worker.
Run: gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001 wsgi:app  (systemd: events_app@8001).
"""
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
worker_class = "sync"
timeout = 30  # a request that takes longer is a bug: long work goes to `flask jobs work`
graceful_timeout = 30
keepalive = 2  # only nginx connects, and it reuses connections
max_requests = 2000  # recycle workers now and then; jitter so they don't all restart together
max_requests_jitter = 200
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
# One JSON object per request, carrying nginx's request id so a request can be followed across hosts.
# No query string (it may hold a private link's token) and no client address beyond what nginx passes.
access_log_format = ('{"time": "%(t)s", "request_id": "%({x-request-id}i)s", "method": "%(m)s", '
                     '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s}')
# Several instances run on one host (one per port): the runtime control socket would be shared by all.
control_socket_disable = True
