/**
 * The yardstick for bench:ack: the same @slack/bolt over HTTP with listeners that only ack (no database, no
 * Slack calls). PORT and SLACK_SIGNING_SECRET as for the app.
 */
import bolt from '@slack/bolt';

const { App, LogLevel } = bolt;
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET!,
  token: 'xoxb-bare',
  botId: 'B0BARE',
  botUserId: 'U0BARE',
  tokenVerificationEnabled: false,
  logLevel: LogLevel.ERROR,
});
app.command(/.*/, async ({ ack }) => {
  await ack();
});
app.options(/.*/, async ({ ack }) => {
  await ack({ options: [] });
});
app.event(/.*/, async () => {});
app.action(/.*/, async ({ ack }) => {
  await ack();
});
// biome-ignore lint/suspicious/noExplicitAny: HTTPReceiver.start hands this object to server.listen(); Bolt's types only declare a port.
await app.start({ port: Number(process.env.PORT), host: '127.0.0.1' } as any);
process.stdout.write('ready\n');
process.once('SIGTERM', () => app.stop().then(() => process.exit(0)));
