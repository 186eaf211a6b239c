import { describe, expect, it } from 'vitest';
import { processWord, processWords } from './words.js';

const vars: Record<string, string> = { NAME: 'app', EMPTY: '', PATH: '/usr/bin' };
const lookup = (name: string) => vars[name];

describe('processWords', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ['\'$NAME\' "$NAME"', ['$NAME', 'app']],
    ['a\\ b', ['a b']],
    ['A="hello world" B=$NAME', ['A=hello world', 'B=app']],
    ['${NAME}-x $NAME.y', ['app-x', 'app.y']],
    ['$UNSET-x', ['-x']],
    ['a $UNSET "" b', ['a', '', 'b']],
    ['"${UNSET:-def}" "${EMPTY:-def}" "${EMPTY-def}"', ['def', 'def', '']],
    ['"${NAME:+alt}" "${UNSET:+alt}" "${EMPTY+alt}"', ['alt', '', 'alt']],
    ['${UNSET:-${NAME}/sub}', ['app/sub']],
    ['PATH=/app/bin:$PATH', ['PATH=/app/bin:/usr/bin']],
    ['cost:\\$5 $ 5$', ['cost:$5', '$', '5$']],
    ['"a \\"q\\" \\$NAME"', ['a "q" $NAME']],
  ])('%s -> %j', (text, expected) => {
    expect(processWords(text, lookup, '\\')).toEqual(expected);
  });

  it('does not split a substituted value into words', () => {
    expect(processWords('$V', () => 'two words', '\\')).toEqual(['two words']);
  });

  it.each([
    ['"open', 'unterminated " quote'],
    ["'open", "unterminated ' quote"],
    ['${NAME', 'missing }'],
    ['${1x}', 'bad substitution'],
    ['${UNSET:?must be set}', 'UNSET: must be set'],
  ])('refuses %s (%s)', (text, message) => {
    expect(() => processWords(text, lookup, '\\')).toThrow(message);
  });
});

describe('processWords with the backtick escape', () => {
  it.each([
    ['C:\\app\\bin', ['C:\\app\\bin']],
    ['a` b c', ['a b', 'c']],
    ['`$NAME $NAME', ['$NAME', 'app']],
    ['"a `"q`" `$NAME \\x"', ['a "q" $NAME \\x']],
    ['"keeps `x"', ['keeps `x']],
  ])('%s -> %j', (text, expected) => {
    expect(processWords(text, lookup, '`')).toEqual(expected);
  });
});

describe('processWord', () => {
  it('keeps whitespace and removes quotes', () => {
    expect(processWord('/srv/$NAME "x  y"', lookup, '\\')).toBe('/srv/app x  y');
  });
});
