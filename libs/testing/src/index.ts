export { bikeSharingCsv } from '../../../infra/repo-files';
export { consumeMessages, createTopics, type ConsumedMessage } from './kafka.helpers';
export { uniqueName, waitFor, type WaitForOptions } from './polling';
export {
  startSlackStandIn,
  type SlackCall,
  type SlackPostedMessage,
  type SlackStandIn,
  type SlackStandInOptions,
} from './slack.stand-in';
export {
  startSmtpCapture,
  type CapturedMail,
  type SmtpCapture,
  type SmtpCaptureOptions,
} from './smtp.capture';
export {
  createIsolatedDatabase,
  testDatabaseUrl,
  testKafkaBrokers,
  TEST_ADMIN_KEY,
  TEST_AUTHORIZATION,
  TEST_ENV,
  type IsolatedDatabase,
} from './test-env';
export {
  startWebhookReceiver,
  type ReceivedRequest,
  type ScriptedResponse,
  type WebhookReceiver,
  type WebhookReceiverOptions,
} from './webhook.receiver';
