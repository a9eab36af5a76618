"""Starts aideml inside Starling's sandbox, where the network is off.

The sandbox's network namespace holds only a loopback interface, and it is down. This script
brings it up, listens on an ephemeral 127.0.0.1 port, and pipes every connection to the Unix
socket of `aideml_proxy.py`, which runs outside and talks to the LLM server. aideml is then
run in this process with `OPENAI_BASE_URL` pointing at that port, so the only place it can
reach is the proxy.

Usage: aideml_launch.py --socket PATH -- [aide config arguments ...]
"""

import fcntl
import os
import socket
import struct
import sys
import threading
import traceback

SIOCGIFFLAGS = 0x8913
SIOCSIFFLAGS = 0x8914
IFF_UP = 0x1


def bring_loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, request))[1]
        if not flags & IFF_UP:
            fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


def pump(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, target):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(listener: socket.socket, socket_path: str) -> None:
    while True:
        client, _ = listener.accept()
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            upstream.connect(socket_path)
        except OSError as error:
            print(f"aideml_launch: cannot reach the proxy at {socket_path}: {error}", file=sys.stderr, flush=True)
            client.close()
            continue
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()


def main() -> None:
    args = sys.argv[1:]
    if len(args) < 2 or args[0] != "--socket":
        sys.exit("usage: aideml_launch.py --socket PATH -- [aide arguments]")
    socket_path = args[1]
    aide_args = args[3:] if len(args) > 2 and args[2] == "--" else args[2:]
    try:
        bring_loopback_up()
    except OSError as error:
        print(f"aideml_launch: loopback left as it is ({error})", file=sys.stderr, flush=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    threading.Thread(target=serve, args=(listener, socket_path), daemon=True).start()
    os.environ["OPENAI_BASE_URL"] = f"http://127.0.0.1:{port}/v1"
    os.environ.setdefault("OPENAI_API_KEY", "no-key-local-server")
    print(f"aideml_launch: OPENAI_BASE_URL={os.environ['OPENAI_BASE_URL']} -> {socket_path}", flush=True)
    sys.argv = ["aide", *aide_args]
    from aide.run import run

    try:
        run()
    except BaseException:
        # aideml's code-execution child is a non-daemon process that Python would wait for at
        # exit, so a crash would hang until the time limit. Report the error and leave now;
        # the sandbox stops what is left.
        traceback.print_exc()
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(1)


if __name__ == "__main__":
    main()
