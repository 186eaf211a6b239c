/** A Server-Sent Events client for tests: collects messages until `count` arrived or the time is up. */
export async function readSse(
  url: string,
  count: number,
  options: { lastEventId?: string; timeoutMs?: number; onOpen?: () => Promise<void> } = {},
): Promise<Array<{ id: string; event: string; data: string }>> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? 10_000);
  const messages: Array<{ id: string; event: string; data: string }> = [];
  try {
    const response = await fetch(url, {
      headers: options.lastEventId ? { 'last-event-id': options.lastEventId } : {},
      signal: abort.signal,
    });
    if (!response.ok || !response.body)
      throw new Error(`SSE ${url} answered ${response.status}: ${await response.text()}`);
    await options.onOpen?.();
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(
          block
            .split('\n')
            .filter((line) => !line.startsWith(':') && line.includes(': '))
            .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)]),
        );
        if (fields.data) messages.push({ id: fields.id ?? '', event: fields.event ?? '', data: fields.data });
        if (messages.length >= count) return messages;
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
  return messages;
}
