#!/usr/bin/python3
"""--metrics tests' HTTP client and Prometheus parser (Debian's python3-prometheus-client).

    prom_check.py fetch URL OUT [--method M] [--source ADDR]
        one request; the body to OUT; prints "STATUS<TAB>Content-Type<TAB>Allow"
    prom_check.py parse FILE
        parses the exposition with prometheus_client's own text parser (an error fails) and
        prints every sample as JSON: {"name{label=\"v\",...}": value}, labels sorted
    prom_check.py hold ADDR PORT N SECONDS
        opens N connections that send nothing, prints "held" once they are open, keeps them
        SECONDS, then closes them
"""
import http.client
import json
import socket
import sys
import time

from prometheus_client.parser import text_string_to_metric_families


def fetch(url, out, method="GET", source=None):
    assert url.startswith("http://")
    hostport, _, path = url[len("http://"):].partition("/")
    host, _, port = hostport.rpartition(":")
    host = host.strip("[]")
    c = http.client.HTTPConnection(host, int(port), timeout=5,
                                   source_address=(source, 0) if source else None)
    c.request(method, "/" + path)
    r = c.getresponse()
    body = r.read()
    with open(out, "wb") as f:
        f.write(body)
    print(f"{r.status}\t{r.getheader('Content-Type', '')}\t{r.getheader('Allow', '')}")


def parse(path):
    with open(path) as f:
        text = f.read()
    samples = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            key = f"{s.name}{{{labels}}}" if labels else s.name
            if key in samples:
                sys.exit(f"prom_check.py: {key} twice")
            samples[key] = s.value
    print(json.dumps(samples, sort_keys=True))


def hold(addr, port, n, secs):
    socks = []
    for _ in range(n):
        s = socket.create_connection((addr, port), timeout=5)
        socks.append(s)
    print("held", flush=True)
    time.sleep(secs)
    for s in socks:
        s.close()


def main():
    a = sys.argv[1:]
    if a[0] == "fetch":
        method, source = "GET", None
        rest = a[3:]
        while rest:
            if rest[0] == "--method":
                method = rest[1]
            elif rest[0] == "--source":
                source = rest[1]
            else:
                sys.exit(f"prom_check.py: unknown option {rest[0]}")
            rest = rest[2:]
        fetch(a[1], a[2], method, source)
    elif a[0] == "parse":
        parse(a[1])
    elif a[0] == "hold":
        hold(a[1], int(a[2]), int(a[3]), float(a[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
