import { runService } from '@gitops/service';
import { webhookReceiver } from './service.js';

runService(webhookReceiver);
