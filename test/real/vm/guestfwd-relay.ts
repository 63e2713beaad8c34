/**
 * The guestfwd relay: qemu's `guestfwd=tcp:ADDR:PORT-tcp:HOST:PORT` lets exactly ONE guest connection
 * through (the chardev connects once, at start-up), and a node downloads several artifacts. The `cmd:`
 * form starts a command per guest connection with the guest's socket on stdin/stdout, so each
 * connection gets its own relay to the test server on 127.0.0.1 (ignition-vm.md, trap 5).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Copies stdin to 127.0.0.1:PORT and the answer back to stdout; connects nowhere else. */
const RELAY_PY = `import os, socket, sys, threading
upstream = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
def guest_to_server():
    while True:
        data = os.read(0, 65536)
        if not data:
            upstream.shutdown(socket.SHUT_WR)
            return
        upstream.sendall(data)
threading.Thread(target=guest_to_server, daemon=True).start()
while True:
    data = upstream.recv(65536)
    if not data:
        break
    view = memoryview(data)
    while view:
        view = view[os.write(1, view):]
`;

/** Where the guest reaches the test server: the profile's mirror is `http://${GUEST_MIRROR_ADDRESS}`. */
export const GUEST_MIRROR_HOST = '10.0.2.100';
const GUEST_MIRROR_PORT = 8080;
export const GUEST_MIRROR = `http://${GUEST_MIRROR_HOST}:${GUEST_MIRROR_PORT}`;

/**
 * Writes relay.py into `dir` and returns the -netdev option for qemu user networking: `restrict=on`
 * (the guest reaches nothing outside) plus the one guestfwd rule. qemu splits options on commas, so
 * the path must not contain one.
 */
export function userNetdev(dir: string, serverPort: number, id = 'n0', extra: readonly string[] = []): string {
  const relay = join(dir, 'relay.py');
  if ([relay, ...extra].some((part) => part.includes(','))) throw new Error(`qemu option values cannot contain a comma: ${[relay, ...extra].join(' ')}`);
  writeFileSync(relay, RELAY_PY);
  return [`user,id=${id},restrict=on`, ...extra, `guestfwd=tcp:${GUEST_MIRROR_HOST}:${GUEST_MIRROR_PORT}-cmd:python3 ${relay} ${serverPort}`].join(',');
}
