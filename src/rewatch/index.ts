export { DeliveryError, type DeliveryFailure, type ExistingThread, type NewThread, type OwnMessage, type ThreadPoster, type ThreadStarter } from './delivery.js';
export { CHANNEL_KINDS, closingMessageTarget, noticeTarget, postsMessagesInChannel, type ChannelKind } from './channel-kinds.js';
export { rewatchNonce, type RewatchMessagePurpose } from './nonces.js';
export { EpisodePublisher, type RunMode, type RunOutcome } from './episode-publisher.js';
export { RewatchScheduler, TICK_CRON } from './scheduler.js';
export { RewatchService, MAX_DELAY_WEEKS, type ClockChangeNote, type SetupInput, type SetupResult, type StatusView, type UpcomingEpisode } from './rewatch-service.js';
export {
  decideScheduledRun,
  countMissedRuns,
  nextRunAfterPost,
  retryAt,
  retryDelayMs,
  LATE_AFTER_MS,
  MANUAL_POST_GAP_MS,
  type RunDecision,
} from './run-decision.js';
export type { RewatchTexts, ScheduleNote, StarterInput } from './texts.js';
export { rewatchRefusal, type RewatchProblem } from './problems.js';
export { findPlan, episodeIndexInPlan, slotOf } from './plans.js';
