import { runService } from '@gitops/service';
import { configUpdater } from './service.js';

runService(configUpdater);
