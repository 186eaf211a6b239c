const MB = 1e6;

export interface Row {
  name: string;
  uploaded: number;
  skipped: number;
  seconds: number;
  /** The image's size over the time taken: what a person waiting for the push sees. */
  imageMBps: number;
  /** curl's seconds over this row's. */
  vsCurl: number;
}

export function row(
  name: string,
  uploaded: number,
  skipped: number,
  seconds: number,
  curlSeconds: number,
): Row {
  return {
    name,
    uploaded,
    skipped,
    seconds,
    imageMBps: (uploaded + skipped) / MB / seconds,
    vsCurl: curlSeconds / seconds,
  };
}

/** The table and the verdicts on the issue's goals, as Markdown on stdout. */
export function printReport(report: {
  layers: number;
  layerBytes: number;
  rounds: number;
  runs: Record<string, number[]>;
  rows: Row[];
}) {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(
    `image: ${report.layers} layers x ${report.layerBytes / MB} MB + config; cold rows: median of ${report.rounds} rounds`,
  );
  out(
    `seconds per round: ${Object.entries(report.runs)
      .map(([name, s]) => `${name} ${s.map((x) => x.toFixed(2)).join(' ')}`)
      .join('; ')}`,
  );
  out();
  out('| scenario | uploaded MB | skipped MB | seconds | image MB/s | vs curl |');
  out('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of report.rows) {
    out(
      `| ${r.name} | ${(r.uploaded / MB).toFixed(1)} | ${(r.skipped / MB).toFixed(1)} | ${r.seconds.toFixed(3)} | ${r.imageMBps.toFixed(1)} | ${r.vsCurl.toFixed(2)}x |`,
    );
  }
  const [, serial, cold, warm] = report.rows;
  out();
  out(
    `cold push ${cold?.vsCurl.toFixed(2)}x curl's throughput (one blob at a time: ${serial?.vsCurl.toFixed(2)}x); goal >= 0.8x: ${(cold?.vsCurl ?? 0) >= 0.8 ? 'met' : 'NOT met'}`,
  );
  out(
    `warm push ${warm?.seconds.toFixed(3)} s; goal < 0.5 s: ${(warm?.seconds ?? 1) < 0.5 ? 'met' : 'NOT met'}`,
  );
  // Blobs stream from disk: peak memory stays far below the image (or even one layer per stream).
  out(`peak RSS of the bench process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}
