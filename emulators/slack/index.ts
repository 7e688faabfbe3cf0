// Slack fake (Web API + file host + response_url) and a driver that sends signed Slack requests to the app.
export type {
  FakeUser,
  FakeTeam,
  SlackFakeOptions,
  RecordedCall,
  SlackFile,
  SlackView,
  PostedMessage,
  SlackFake,
} from './types.ts';
export { startSlackFake } from './server.ts';
export { createSlackDriver } from './driver.ts';
export type { DriverOptions, SlackDriver, SubmitValue } from './driver.ts';
export { validateView, validateBlocks, validateSuggestionResponse, LIMITS } from './blockkit.ts';
export { DEFAULT_BOT_SCOPES } from './store.ts';
