import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';

// Reads `+<group>` and `-<group>` lines and, once its input ends, SIGKILLs every process group still
// listed. The input is a pipe from the builder: however the builder ends, SIGKILL included, the
// kernel closes it, so nothing has to run in a dying process. (dash's kill takes `-KILL -<group>`.)
const GUARD_SCRIPT = `
groups=' '
while IFS= read -r line; do
  case $line in
    +*) groups="$groups\${line#+} " ;;
    -*) id=\${line#-}
        case $groups in *" $id "*) groups="\${groups%% $id *} \${groups#* $id }" ;; esac ;;
  esac
done
for id in $groups; do kill -KILL "-$id" 2>/dev/null; done`;

/**
 * Kills what the builder started when the builder dies without cleaning up (kill -9, OOM): every
 * step, git and buildah runs `detached`, in a process group of its own, and registers the group here
 * while it runs. One small `sh` per builder process holds the list; see GUARD_SCRIPT. Linux's
 * PR_SET_PDEATHSIG (`setpriv --pdeathsig`) would reach only the direct child, not what a step's shell
 * starts, and no process that leaves its group (`setsid`) is covered either way.
 */
class OrphanGuard {
  readonly #groups = new Set<number>();
  #guard: ChildProcess | undefined;

  /** Guards the process group led by `pid` (a child spawned `detached`); call the answer once it exited. */
  track(pid: number | undefined): () => void {
    if (pid === undefined) return () => undefined;
    this.#groups.add(pid);
    this.#send(`+${pid}\n`);
    return () => {
      if (this.#groups.delete(pid)) this.#send(`-${pid}\n`);
    };
  }

  #send(line: string): void {
    if (this.#guard) this.#guard.stdin?.write(line);
    else this.#start();
  }

  /** Started on first use; a guard that died is replaced, and told every group still running. */
  #start(): void {
    // Detached, so a signal to the builder's own group (Ctrl-C) does not reach it; no secret in its environment.
    const guard = spawn('sh', ['-c', GUARD_SCRIPT], {
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    this.#guard = guard;
    guard.once('exit', () => {
      if (this.#guard === guard) this.#guard = undefined;
    });
    // Without sh there is nothing to guard with; the builder goes on unguarded rather than failing builds.
    guard.on('error', () => undefined);
    guard.stdin.on('error', () => undefined);
    guard.stdin.write([...this.#groups].map((group) => `+${group}\n`).join(''));
    // Neither the guard nor its pipe keeps the builder running.
    guard.unref();
    (guard.stdin as Socket).unref();
  }
}

/** This process's guard: what it protects against is this process's own death. */
const guard = new OrphanGuard();

/** Guards a detached child's process group against the builder's death; call the answer once it exited. */
export const guardProcessGroup = (pid: number | undefined): (() => void) => guard.track(pid);
