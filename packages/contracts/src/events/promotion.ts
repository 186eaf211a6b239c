import { Type } from '@sinclair/typebox';
import { eventData } from '../common.js';

const promotionFields = {
  /** The environment promoted to (= `to`), so every environment-scoped event names it the same way. */
  environment: Type.String(),
  from: Type.String(),
  to: Type.String(),
  image: Type.String({ description: 'repo@digest' }),
  /** The person who acted (an API token's name), where one did. */
  by: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
};
/** `commit` is the source commit of the pipeline that built the image. */
export const PromotionRequested = eventData(promotionFields);
export const PromotionApproved = eventData(promotionFields);
export const PromotionRejected = eventData(promotionFields);
