import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * What of the host's /etc a step sees, read-only: what toolchains need to run (dynamic linking, CA
 * certificates, time zones, name service and MIME tables, Debian's alternatives). Nothing that holds
 * credentials (shadow, gshadow, npmrc, pip.conf, gitconfig, ssh, …); passwd, group and hosts are
 * generated (etc-files.ts).
 */
const ETC_ALLOWED =
  /^(alternatives|ssl|ca-certificates|pki|ld\.so\.(cache|conf|conf\.d)|localtime|timezone|nsswitch\.conf|host\.conf|gai\.conf|protocols|services|networks|os-release|debian_version|mime\.types|magic|magic\.mime|inputrc|fonts|java-.*)$/;
/** Top-level directories of the system that a merged-/usr system makes links into /usr. */
const SYSTEM_DIRS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const SYSTEM_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** The read-only view of the host a sandboxed step gets; read once, when the builder starts. */
export interface HostView {
  /** Bound read-only at the same path. */
  readOnly: string[];
  /** `[target, path]`: symlinks recreated as they are on the host (`bin -> usr/bin`). */
  links: [string, string][];
  /** The PATH of a step: the system's, and the bin directory of a Node.js installed outside /usr. */
  path: string;
}

const kindOf = (path: string) =>
  lstat(path).then(
    (info) => (info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'other'),
    () => 'missing',
  );

/**
 * Reads which system directories exist and how, which /etc entries of the allow-list are there, and
 * where the Node.js running the builder lives: steps get the same node and npm (docs/builder.md,
 * "Sandbox"), bound read-only when installed outside /usr (nvm, /opt/node).
 */
export async function readHostView(execPath = process.execPath): Promise<HostView> {
  const readOnly = ['/usr'];
  const links: [string, string][] = [];
  for (const name of SYSTEM_DIRS) {
    const path = `/${name}`;
    const kind = await kindOf(path);
    if (kind === 'link') links.push([await readlink(path), path]);
    if (kind === 'dir') readOnly.push(path);
  }
  const etc = await readdir('/etc').catch(() => [] as string[]);
  readOnly.push(...etc.filter((name) => ETC_ALLOWED.test(name)).map((name) => join('/etc', name)));
  const nodeBin = dirname(await realpath(execPath));
  const path = [...SYSTEM_PATH];
  if (!nodeBin.startsWith('/usr/')) {
    readOnly.push(dirname(nodeBin));
    path.unshift(nodeBin);
  }
  return { readOnly, links, path: path.join(':') };
}
