// /myth as Discord registers it: every subcommand and option name, defined once and used by the handlers
// (commands/myth.ts) and the wording (myth-render.ts).
import { ApplicationIntegrationType, InteractionContextType, SlashCommandBuilder } from 'discord.js';

export const MYTH = {
  name: 'myth',
  sub: { ask: 'ask', list: 'list' },
  option: { claim: 'claim' },
} as const;

const CLAIM_MAX = 100;

export const mythCommandData = new SlashCommandBuilder()
  .setName(MYTH.name)
  .setDescription("The finale's misconceptions: vote myth or fact, then see the verdict")
  .setContexts(InteractionContextType.Guild)
  .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
  .addSubcommand((s) =>
    s
      .setName(MYTH.sub.ask)
      .setDescription('Post a myth for the channel to vote on (a random one unless you pick it)')
      .addStringOption((o) =>
        o
          .setName(MYTH.option.claim)
          .setDescription('Which myth (start typing; leave empty for one this server has not seen lately)')
          .setMaxLength(CLAIM_MAX)
          .setAutocomplete(true),
      ),
  )
  .addSubcommand((s) => s.setName(MYTH.sub.list).setDescription('Every myth, with the verdicts revealed in this server'));
