import type { BuildNetwork } from '@gitops/config';

/** The uid and gid a step runs as, inside the sandbox and, when the builder is root, outside too. */
export const SANDBOX_ID = 1000;
export const SANDBOX_USER = 'build';
export const SANDBOX_HOSTNAME = 'gitops-build';
/** slirp4netns's built-in DNS forwarder, on the user-mode network's 10.0.2.0/24. */
const SLIRP_DNS = '10.0.2.3';

/**
 * The files of /etc a sandbox gets generated rather than from the host: users and groups that name
 * only root and the step's own user (tools look their uid up: `whoami`, npm, ssh), localhost, and with
 * egress the DNS of slirp4netns (the host's resolver may listen on its loopback, out of reach).
 */
export function etcFiles(home: string, network: BuildNetwork): Record<string, string> {
  const id = SANDBOX_ID;
  const files: Record<string, string> = {
    '/etc/passwd': `root:x:0:0:root:/root:/usr/sbin/nologin\n${SANDBOX_USER}:x:${id}:${id}:build step:${home}:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n`,
    '/etc/group': `root:x:0:\n${SANDBOX_USER}:x:${id}:\nnogroup:x:65534:\n`,
    '/etc/hosts': `127.0.0.1\tlocalhost ${SANDBOX_HOSTNAME}\n::1\tlocalhost ip6-localhost ip6-loopback\n`,
  };
  if (network === 'egress') files['/etc/resolv.conf'] = `nameserver ${SLIRP_DNS}\n`;
  return files;
}
