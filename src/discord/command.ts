import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { BotContext } from '../bot-context.js';

/** A slash command: the Discord-facing adapter. It parses options, calls a domain service and renders the result. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
  /** Buttons and modals whose custom_id starts with `${customIdPrefix}:` are routed here. */
  customIdPrefix?: string;
  handleButton?(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
  handleModal?(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void>;
}
