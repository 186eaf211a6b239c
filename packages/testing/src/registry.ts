import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './process-server.js';

export interface RegistryOptions {
  /** An htpasswd file (bcrypt entries): the registry then asks for Basic credentials. */
  htpasswd?: string;
}

export interface RegistryServer extends ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** 127.0.0.1:<port>, as an image reference names it */
  host: string;
}

// JSON strings are YAML strings, so paths with any character stay intact.
function registryConfig(port: number, dir: string, options: RegistryOptions): string {
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(join(dir, 'storage'))}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
  ];
  if (options.htpasswd) {
    lines.push(
      'auth:',
      '  htpasswd:',
      '    realm: gitops-test',
      `    path: ${JSON.stringify(options.htpasswd)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Debian's `docker-registry` (CNCF distribution 2.8) with filesystem storage in a temp directory, on a random
 * loopback port. Blobs and manifests survive `restart()`.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryServer> {
  const server = await startServerProcess({
    name: 'registry',
    command: process.env.REGISTRY_BIN ?? 'docker-registry',
    args: (port, dir) => {
      // The config names the port, which is only known here.
      const config = join(dir, 'config.yml');
      writeFileSync(config, registryConfig(port, dir, options));
      return ['serve', config];
    },
  });
  const host = `127.0.0.1:${server.port}`;
  return { ...server, url: `http://${host}`, host };
}
