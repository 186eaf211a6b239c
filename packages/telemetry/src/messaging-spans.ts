import { type Attributes, type Context, type Span, SpanKind, context, trace } from '@opentelemetry/api';
import {
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_BODY_SIZE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_MESSAGING_SYSTEM_NAME,
  MESSAGING_OPERATION_TYPE_VALUE_PROCESS,
  MESSAGING_OPERATION_TYPE_VALUE_SEND,
} from './semconv.js';
import { startSpan } from './tracing.js';

/** One message, as the messaging conventions describe it. */
export interface MessageSpanInfo {
  /** `nats` for JetStream events, `bullmq` for stage jobs. */
  system: 'nats' | 'bullmq';
  /** The subject, or the queue. */
  destination: string;
  /** The event id, or the job id. */
  messageId: string;
  /** The pipeline id: every message of one pipeline carries it. */
  conversationId: string;
  bodySize?: number;
}

export interface ConsumedMessageSpanInfo extends MessageSpanInfo {
  /** The durable consumer (or queue) whose replicas share the messages. */
  consumerGroup: string;
  /** 1 on the first delivery or job attempt: a retry is a new span of the same trace. */
  attempt: number;
}

// The conventions have no system-neutral delivery count; this one is the platform's own.
const ATTR_GITOPS_MESSAGE_ATTEMPT = 'gitops.message.attempt';

function messageAttributes(message: MessageSpanInfo, type: string, operation: string): Attributes {
  return {
    [ATTR_MESSAGING_SYSTEM]: message.system,
    [ATTR_MESSAGING_SYSTEM_NAME]: message.system,
    [ATTR_MESSAGING_OPERATION_TYPE]: type,
    [ATTR_MESSAGING_OPERATION_NAME]: operation,
    [ATTR_MESSAGING_DESTINATION_NAME]: message.destination,
    [ATTR_MESSAGING_MESSAGE_ID]: message.messageId,
    [ATTR_MESSAGING_MESSAGE_CONVERSATION_ID]: message.conversationId,
    ...(message.bodySize === undefined ? {} : { [ATTR_MESSAGING_MESSAGE_BODY_SIZE]: message.bodySize }),
  };
}

/**
 * Runs `fn` in a PRODUCER span `publish <destination>` (operation type `send`). A `traceparent`
 * injected inside `fn` names this span, so it is the message's creation context.
 */
export function producerSpan<T>(message: MessageSpanInfo, fn: (span: Span) => Promise<T>): Promise<T> {
  return startSpan(`publish ${message.destination}`, fn, {
    kind: SpanKind.PRODUCER,
    attributes: messageAttributes(message, MESSAGING_OPERATION_TYPE_VALUE_SEND, 'publish'),
  });
}

/**
 * Runs `fn` in a CONSUMER span `process <destination>` whose parent is the message's creation
 * context, so one trace runs across the hop, and which also links to it, as the conventions ask of
 * process spans. `fn` gets the span's context, to carry on to work the message starts later.
 */
export function consumerSpan<T>(
  message: ConsumedMessageSpanInfo,
  creation: Context,
  fn: (active: Context) => Promise<T>,
): Promise<T> {
  const producer = trace.getSpanContext(creation);
  return startSpan(`process ${message.destination}`, () => fn(context.active()), {
    parent: creation,
    kind: SpanKind.CONSUMER,
    links: producer && trace.isSpanContextValid(producer) ? [{ context: producer }] : [],
    attributes: {
      ...messageAttributes(message, MESSAGING_OPERATION_TYPE_VALUE_PROCESS, 'process'),
      [ATTR_MESSAGING_CONSUMER_GROUP_NAME]: message.consumerGroup,
      [ATTR_GITOPS_MESSAGE_ATTEMPT]: message.attempt,
    },
  });
}
