"""gunicorn settings for production: ``gunicorn benchlm.wsgi`` picks this file up from here.

Threaded workers (gthread), so a slow or idle client holds one thread, not a whole worker: with
the sync worker, six idle connections were enough to stall four workers for 25 s. Even so, put
a buffering proxy in front (nginx, see the README's Operations section): it reads each request
in full before passing it on, so slow clients never reach gunicorn at all.

Every figure can be overridden on the command line or through the environment variables below.
"""

import multiprocessing
import os

# Loopback only: the proxy in front is the one that faces the network.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# About two processes per core, each with threads: a page is mostly Python (the GIL), so threads
# are for waiting clients and database round trips, processes for the CPU. A new connection takes
# a thread until its request has arrived (gunicorn gives an idle one 5 s, a half-sent request
# longer), and the kernel hands connections to processes unevenly: with 8 threads, a process
# that caught 8 of a dozen slow clients kept a reader waiting 4.5 s; 16 leave room.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 16))
# A request still running after this long is a bug or a hung dependency: the worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Idle kept-alive connections are closed after this many seconds; they wait in the poller,
# holding no thread.
keepalive = 5
worker_connections = 1000
# Requests are small here: the signup form, query strings and the admin.
limit_request_line = 8190
limit_request_fields = 60
limit_request_field_size = 8190
# "-" is stdout; an empty value turns the access log off.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
