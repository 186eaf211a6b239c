export interface XmlTag {
  name: string;
  kind: 'open' | 'close' | 'empty';
  attributes: Record<string, string>;
}

// Comments, CDATA, processing instructions and doctype are skipped whole; a tag's attributes may
// quote a `>` (a JUnit failure message "expected a > b").
const TOKEN =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[?!][^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const decode = (value: string) =>
  value.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });

/**
 * The element tags of an XML document, in order. Enough for the few attributes coverage and
 * test reports need, without an XML dependency; text content is not returned.
 */
export function* xmlTags(text: string): Generator<XmlTag> {
  for (const match of text.matchAll(TOKEN)) {
    const [, slash, name, rest, selfClosing] = match;
    if (!name) continue;
    const attributes: Record<string, string> = {};
    for (const [, key, double, single] of (rest ?? '').matchAll(ATTRIBUTE)) {
      attributes[key!] = decode(double ?? single ?? '');
    }
    const kind = slash ? 'close' : selfClosing ? 'empty' : 'open';
    yield { name, kind, attributes };
  }
}
