/**
 * The node flags every Driftline service process starts with, on its command line (V8 flags are not
 * allowed in NODE_OPTIONS, and set at run time they miss the heap already made): the Dockerfile's
 * CMD, the `npm run start:*` scripts, `npm run demo` and `npm run bench` (service-node-flags.spec.ts
 * holds the first two to this list). Cluster workers inherit them; worker threads share them.
 *
 * --no-memory-reducer: V8's memory reducer shrinks the heap of a process that goes quiet, and the
 * api stayed slow once traffic came back: after two minutes idle, `POST /v1/predictions` did 27,800
 * events/s at 55 us of CPU an event for the whole 20 s of the bench's f, against 50,000-67,000 at
 * 21-27 us without the pause, or with the pause and this flag (55,800 at 25 us). The cost: an idle
 * process keeps the heap it grew. (--no-flush-bytecode alone and --min-semi-space-size=8 did not help.)
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--no-memory-reducer'];
