import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { git } from './git.js';
import { type ServerProcess, startServerProcess } from './process-server.js';

/** The same front the local scripts and the compose file run, so tests push the way users do. */
const SCRIPT = fileURLToPath(new URL('../../../infra/local/git-http-server.mjs', import.meta.url));

export interface BareRepoOptions {
  /** Script text for hooks/post-receive (start it with a #! line); made executable. */
  postReceiveHook?: string;
  /** git config entries for the repository, e.g. `{ 'gitops.webhookUrl': 'http://…' }`. */
  config?: Record<string, string>;
}

export interface BareRepo {
  /** The clone URL, e.g. http://127.0.0.1:<port>/acme/hello.git */
  url: string;
  /** The bare repository on disk. */
  dir: string;
}

export interface GitServer extends ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The directory every repository lives under. */
  root: string;
  /** Creates `<path>.git` (`path` like `acme/hello`) with `main` as its default branch. */
  createBareRepo(path: string, options?: BareRepoOptions): Promise<BareRepo>;
}

export interface GitServerOptions {
  /** Added to the server's environment, which its git processes and hooks inherit. */
  env?: NodeJS.ProcessEnv;
}

const REPO_PATH = /^[\w.-]+(\/[\w.-]+)*$/;

/** The smart-HTTP git server (infra/local/git-http-server.mjs) on a random port; push allowed, hooks run. */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const server = await startServerProcess({
    name: 'git',
    command: process.execPath,
    args: (port, dir) => [SCRIPT, '--port', String(port), '--root', dir],
    env: options.env,
  });
  const url = `http://127.0.0.1:${server.port}`;
  const createBareRepo = async (path: string, repoOptions: BareRepoOptions = {}): Promise<BareRepo> => {
    if (!REPO_PATH.test(path) || path.split('/').some((part) => part === '..' || part === '.')) {
      throw new Error(`not a repository path: ${path}`);
    }
    const name = path.endsWith('.git') ? path : `${path}.git`;
    const dir = join(server.dir, name);
    await mkdir(dir, { recursive: true });
    await git(['init', '--quiet', '--bare', '--initial-branch', 'main', dir]);
    for (const [key, value] of Object.entries(repoOptions.config ?? {})) {
      await git(['config', '--file', join(dir, 'config'), key, value]);
    }
    if (repoOptions.postReceiveHook !== undefined) {
      await writeFile(join(dir, 'hooks', 'post-receive'), repoOptions.postReceiveHook, { mode: 0o755 });
    }
    return { url: `${url}/${name}`, dir };
  };
  return { ...server, url, root: server.dir, createBareRepo };
}
