/** One environment's status as the reconciler answers it. */
export interface EnvironmentStatus {
  environment: string;
  sync: string;
  health: string;
  message?: string;
  configCommit?: string;
  image?: string;
  drift: Array<{ resource: string; fields: string[]; manager?: string }>;
  resources: Array<{ resource: string; health: string; message?: string }>;
  lastSync?: { at: string };
  updatedAt: string;
}

export interface AppStatus {
  name: string;
  environments: EnvironmentStatus[];
}

const short = (sha: string | undefined) => sha?.slice(0, 12) ?? '-';

/** `gitops apps`: one line per application environment. */
export function appsTable(apps: AppStatus[]): string[] {
  const rows = apps.flatMap((app) =>
    app.environments.map((env) => [
      app.name,
      env.environment,
      env.sync,
      env.health,
      short(env.configCommit),
      env.message ?? '',
    ]),
  );
  const header = ['APP', 'ENVIRONMENT', 'SYNC', 'HEALTH', 'CONFIG', 'MESSAGE'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  return [header, ...rows].map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** `gitops app <name>`: every environment, its resources and its drift. */
export function appDetail(app: AppStatus): string[] {
  const lines = [`${app.name}`];
  for (const env of app.environments) {
    lines.push(
      `  ${env.environment}: ${env.sync}, ${env.health}, config ${short(env.configCommit)}${env.image ? `, image ${env.image}` : ''}`,
    );
    if (env.message) lines.push(`    ${env.message}`);
    for (const resource of env.resources) {
      lines.push(
        `    ${resource.resource}  ${resource.health}${resource.message ? `  ${resource.message}` : ''}`,
      );
    }
    for (const drift of env.drift) {
      lines.push(
        `    drift: ${drift.resource} ${drift.fields.join(', ')}${drift.manager ? ` (changed by ${drift.manager})` : ''}`,
      );
    }
  }
  return lines;
}
