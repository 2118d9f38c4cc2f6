import type { Question } from '../content/index.js';
import type { QuestionPackRepository } from '../db/repositories/question-packs.js';

/** The questions a server can be asked: the shipped bank plus the server's own packs. */
export interface QuestionCatalog {
  pool(guildId: string): Promise<Question[]>;
  find(guildId: string, questionId: string): Promise<Question | undefined>;
}

/** Pack questions get ids scoped by their pack, so they can never collide with the bank or another pack. */
export function packQuestionId(pack: string, id: string): string {
  return `pack:${pack}:${id}`;
}

export class BankAndPacksCatalog implements QuestionCatalog {
  private readonly bank: ReadonlyMap<string, Question>;

  constructor(
    private readonly bankQuestions: readonly Question[],
    private readonly packs: QuestionPackRepository,
  ) {
    this.bank = new Map(bankQuestions.map((q) => [q.id, q]));
  }

  async pool(guildId: string): Promise<Question[]> {
    return [...this.bankQuestions, ...(await this.packQuestions(guildId))];
  }

  async find(guildId: string, questionId: string): Promise<Question | undefined> {
    const fromBank = this.bank.get(questionId);
    if (fromBank || !questionId.startsWith('pack:')) return fromBank;
    return (await this.packQuestions(guildId)).find((q) => q.id === questionId);
  }

  private async packQuestions(guildId: string): Promise<Question[]> {
    const packs = await this.packs.questions(guildId);
    return packs.flatMap(({ pack, questions }) =>
      questions.map((q) => ({
        ...q,
        id: packQuestionId(pack, q.id),
        ...(q.related ? { related: q.related.map((id) => packQuestionId(pack, id)) } : {}),
      })),
    );
  }
}
