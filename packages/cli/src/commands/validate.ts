import { loadApplications } from '@gitops/config';

/** `gitops validate [file]`: loads the application file the way every service does. */
export function validate(file: string): number {
  const apps = loadApplications(file);
  for (const app of apps) {
    console.log(
      `${app.name}: ${app.source.repoURL} [${app.source.branches.join(', ')}] -> ${app.image.repository}, ${app.config.repoURL} ${app.config.path} -> namespace ${app.destination.namespace}`,
    );
  }
  console.log(`${file}: ${apps.length} application(s), valid`);
  return 0;
}
