import { runService } from '@gitops/service';
import { builder } from './service.js';

runService(builder);
