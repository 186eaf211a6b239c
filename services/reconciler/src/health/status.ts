export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Missing' | 'Unknown';

export interface Health {
  status: HealthStatus;
  message?: string;
}

const RANK: Record<HealthStatus, number> = {
  Healthy: 0,
  Progressing: 1,
  Unknown: 2,
  Missing: 3,
  Degraded: 4,
};

/** The worst of several healths: one Degraded resource makes the application Degraded. */
export const worstOf = (healths: readonly HealthStatus[]): HealthStatus =>
  healths.reduce<HealthStatus>((worst, next) => (RANK[next] > RANK[worst] ? next : worst), 'Healthy');

export const healthy = (message?: string): Health => ({ status: 'Healthy', ...(message ? { message } : {}) });
export const progressing = (message: string): Health => ({ status: 'Progressing', message });
export const degraded = (message: string): Health => ({ status: 'Degraded', message });
