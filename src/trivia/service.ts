import type { Content } from '../content/index.js';
import type { GuildSettingsRepository } from '../db/repositories/guild-settings.js';
import type { QuestionPackRepository } from '../db/repositories/question-packs.js';
import type { TriviaRepository } from '../db/repositories/trivia.js';
import { TriviaBoards } from './boards.js';
import { TriviaEpisodes } from './episodes.js';
import type { TriviaEngine } from './game-engine.js';
import { QuestionPacks } from './packs.js';
import { TriviaSettings } from './settings.js';

/** Everything /trivia does, as the command adapters see it. */
export class TriviaService {
  readonly boards: TriviaBoards;
  readonly settings: TriviaSettings;
  readonly packs: QuestionPacks;
  readonly episodes: TriviaEpisodes;

  constructor(
    readonly games: TriviaEngine,
    deps: { repo: TriviaRepository; settings: GuildSettingsRepository; packs: QuestionPackRepository; content: Content },
  ) {
    this.boards = new TriviaBoards({ repo: deps.repo, settings: deps.settings });
    this.settings = new TriviaSettings(deps.settings);
    this.packs = new QuestionPacks({ repo: deps.packs, episodes: deps.content.episodes });
    this.episodes = new TriviaEpisodes(deps.content.episodes, deps.content.questions);
  }
}
