import { runService } from '@gitops/service';
import { imagePusher } from './service.js';

runService(imagePusher);
