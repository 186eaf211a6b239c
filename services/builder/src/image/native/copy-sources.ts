import { open } from 'node:fs/promises';
import { join, posix, relative } from 'node:path';
import { resolveInside } from '@gitops/fs';
import type { BuildContext, ContextEntry } from '../context/walk.js';
import { ImageErrorCodes, imageErrors } from '../errors.js';
import { type LayerEntry, completeEntries } from '../tar/layer-writer.js';
import type { CopyStep } from './dockerfile-stage.js';

const ROOT: ContextEntry = { path: '', type: 'dir', size: 0, executable: true };
const URL_SOURCE = /^(?:https?|git|ssh):\/\/|^git@/;

/**
 * The complete, sorted entries of the layer a COPY or ADD writes, with Docker's rules: a directory
 * source copies its contents, a file goes into the destination when that is a directory (a trailing
 * `/`, several sources, or a directory an earlier layer or WORKDIR made) and becomes it otherwise,
 * wildcards match within the context, a named symlink is followed. Sources outside the context
 * (`../x`, `/x`) are refused, as are ADD of a URL and ADD of an archive (which Docker would extract).
 */
export async function resolveCopy(
  step: CopyStep,
  context: BuildContext,
  knownDirs: ReadonlySet<string>,
): Promise<LayerEntry[]> {
  const matches = step.sources.flatMap((source) => matchSource(step, source, context));
  const followed = await Promise.all(matches.map((m) => follow(step, m, context)));
  const dest = step.dest.replace(/^\/+|\/+$/g, '');
  if (matches.length > 1 && !step.dest.endsWith('/')) {
    throw imageErrors.dockerfileInvalid(step.line, 'with several sources the destination must end with /');
  }
  const intoDir = step.dest.endsWith('/') || knownDirs.has(dest);
  const makesDir = intoDir || followed.some((e) => e.type === 'dir');
  const out: LayerEntry[] = dest !== '' && makesDir ? [{ path: dest, type: 'dir' }] : [];
  for (const [i, entry] of followed.entries()) {
    if (entry.type === 'dir') out.push(...directoryContents(entry, dest, context));
    else {
      const name = posix.basename(matches[i]?.path ?? entry.path);
      if (step.keyword === 'ADD') await refuseArchive(step, entry, context);
      out.push(layerEntry(entry, intoDir ? posix.join(dest, name) : dest, context));
    }
  }
  return completeEntries(out);
}

function matchSource(step: CopyStep, source: string, context: BuildContext): ContextEntry[] {
  if (step.keyword === 'ADD' && URL_SOURCE.test(source)) {
    throw imageErrors.nativeUnsupported(step.line, `ADD of the URL ${source}`);
  }
  if (source === '') throw imageErrors.sourceNotFound(step.line, '""');
  const clean = posix.normalize(source).replace(/\/+$/, '');
  if (posix.isAbsolute(clean) || clean === '..' || clean.startsWith('../')) {
    throw imageErrors.contextEscape(`${step.keyword} source`, source);
  }
  const path = clean === '.' ? '' : clean.replace(/^\.\//, '');
  if (/[*?[]/.test(path)) {
    // An empty wildcard match is not an error, as in BuildKit.
    const pattern = sourceGlob(path);
    return [...context.entries.values()].filter((e) => pattern.test(e.path));
  }
  const entry = path === '' ? ROOT : context.entries.get(path);
  if (!entry) throw imageErrors.sourceNotFound(step.line, source);
  return [entry];
}

/**
 * A COPY source wildcard the way Docker reads one: `*` and `?` stay within a path segment, `**` spans any
 * number of segments (none included), `[...]` is a class, `\` escapes, the rest is literal.
 */
function sourceGlob(glob: string): RegExp {
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      i += glob[i + 2] === '/' ? 2 : 1;
      out += i === glob.length - 1 ? '.*' : '(?:.*/)?';
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\') out += `\\${glob[++i] ?? '\\'}`;
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        out += glob.slice(i, close + 1);
        i = close;
      }
    } else out += ch.replace(/[.+()|{}$^\]]/g, '\\$&');
  }
  return new RegExp(`${out}$`, 's');
}

/** A named symlink is copied as what it points at, which must be in the context (the walk checked it too). */
async function follow(step: CopyStep, entry: ContextEntry, context: BuildContext): Promise<ContextEntry> {
  if (entry.type !== 'symlink') return entry;
  const what = `${step.keyword} source`;
  const options = { what, within: 'the build context', code: ImageErrorCodes.contextEscape };
  const path = relative(context.dir, await resolveInside(context.dir, entry.path, options));
  const found = path === '' ? ROOT : context.entries.get(path);
  if (!found) throw imageErrors.sourceNotFound(step.line, `${entry.path} (a symlink to ${entry.target})`);
  return found;
}

function directoryContents(dir: ContextEntry, dest: string, context: BuildContext): LayerEntry[] {
  const prefix = dir.path === '' ? '' : `${dir.path}/`;
  const out: LayerEntry[] = [];
  for (const entry of context.entries.values()) {
    if (!entry.path.startsWith(prefix)) continue;
    out.push(layerEntry(entry, posix.join(dest, entry.path.slice(prefix.length)), context));
  }
  return out;
}

function layerEntry(entry: ContextEntry, path: string, context: BuildContext): LayerEntry {
  if (entry.type === 'dir') return { path, type: 'dir' };
  if (entry.type === 'symlink') return { path, type: 'symlink', linkname: entry.target ?? '' };
  const source = join(context.dir, entry.path);
  return { path, type: 'file', executable: entry.executable, source, size: entry.size };
}

/** gzip, bzip2, xz and tar: what Docker's ADD would unpack instead of copying. */
async function refuseArchive(step: CopyStep, entry: ContextEntry, context: BuildContext): Promise<void> {
  const file = await open(join(context.dir, entry.path));
  const head = Buffer.alloc(512);
  try {
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  const magic = head.subarray(0, 6).toString('latin1');
  const isArchive =
    magic.startsWith('\x1f\x8b') ||
    magic.startsWith('BZh') ||
    magic === '\xfd7zXZ\x00' ||
    head.subarray(257, 262).toString('latin1') === 'ustar';
  if (isArchive) {
    throw imageErrors.nativeUnsupported(
      step.line,
      `ADD of the archive ${entry.path} (Docker would extract it; COPY copies it as is)`,
    );
  }
}
