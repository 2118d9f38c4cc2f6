export { DiscordStandIn } from './stand-in.js';
export type { StandInOptions, GuildInfo, ChannelInfo, RoleInfo, MemberInfo, InteractionLatency } from './stand-in.js';
export { InteractionHandle } from './interaction-handle.js';
export type { VisibleMessage, VisibleThread } from './visible.js';
export type { FailRule, HoldRule } from './rest.js';
export type { FileOption, OptionInput } from './command-options.js';
export { renderMessage, buttonsOf, type NumberedButton } from './render.js';
export { DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, ALL_PERMISSIONS } from './permissions.js';
export { shardOfGuild } from './snowflake.js';
