import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * The cluster's configuration: KUBECONFIG, else the in-cluster service account. Undefined, with the
 * reason, when there is neither: the reconciler still starts and reports status Unknown.
 */
export function loadKubeConfig(kubeconfig: string | undefined): { config?: KubeConfig; reason?: string } {
  const config = new KubeConfig();
  try {
    if (kubeconfig) {
      if (!existsSync(kubeconfig)) return { reason: `KUBECONFIG ${kubeconfig} does not exist` };
      config.loadFromFile(kubeconfig);
    } else if (
      existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token') &&
      process.env.KUBERNETES_SERVICE_HOST
    ) {
      config.loadFromCluster();
    } else {
      return { reason: 'no KUBECONFIG and no in-cluster service account' };
    }
  } catch (err) {
    return { reason: `the kubeconfig cannot be read: ${(err as Error).message}` };
  }
  if (!config.getCurrentCluster()) return { reason: 'the kubeconfig names no current cluster' };
  return { config };
}
