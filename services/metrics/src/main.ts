import { runService } from '@gitops/service';
import { metricsService } from './service.js';

runService(metricsService);
