/**
 * The messaging attributes of the OpenTelemetry semantic conventions this platform sets, copied from
 * `@opentelemetry/semantic-conventions/incubating` (1.45.0) as its README asks of runtime code: the
 * incubating entry point may change in a minor release. The stable HTTP ones are imported.
 */
export const ATTR_MESSAGING_SYSTEM_NAME = 'messaging.system.name';
/** Deprecated by `messaging.system.name` in 1.45, and still the key most backends group by: both are set. */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_MESSAGING_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_MESSAGING_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGING_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_MESSAGING_MESSAGE_ID = 'messaging.message.id';
export const ATTR_MESSAGING_MESSAGE_CONVERSATION_ID = 'messaging.message.conversation_id';
export const ATTR_MESSAGING_MESSAGE_BODY_SIZE = 'messaging.message.body.size';
export const ATTR_MESSAGING_CONSUMER_GROUP_NAME = 'messaging.consumer.group.name';

export const MESSAGING_OPERATION_TYPE_VALUE_SEND = 'send';
export const MESSAGING_OPERATION_TYPE_VALUE_PROCESS = 'process';
