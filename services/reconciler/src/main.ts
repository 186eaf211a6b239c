import { runService } from '@gitops/service';
import { reconciler } from './service.js';

runService(reconciler);
