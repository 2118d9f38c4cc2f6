import { and, asc, eq } from 'drizzle-orm';
import type { Question } from '../../content/index.js';
import type { Db } from '../client.js';
import { questionPacks } from '../schema.js';

export interface PackSummary {
  name: string;
  questionCount: number;
  addedBy: string;
  addedAt: Date;
}

/** A server's own question packs. Questions are stored already validated, as JSON. */
export class QuestionPackRepository {
  constructor(private readonly db: Db) {}

  /** Adds or replaces the pack with this name in this server. */
  async save(guildId: string, name: string, questions: readonly Question[], addedBy: string, now: Date): Promise<'added' | 'replaced'> {
    const values = { questionsJson: JSON.stringify(questions), questionCount: questions.length, addedBy, addedAt: now };
    const existing = await this.db
      .select({ id: questionPacks.id })
      .from(questionPacks)
      .where(and(eq(questionPacks.guildId, guildId), eq(questionPacks.name, name)));
    await this.db
      .insert(questionPacks)
      .values({ guildId, name, ...values })
      .onConflictDoUpdate({ target: [questionPacks.guildId, questionPacks.name], set: values });
    return existing.length > 0 ? 'replaced' : 'added';
  }

  async list(guildId: string): Promise<PackSummary[]> {
    return this.db
      .select({ name: questionPacks.name, questionCount: questionPacks.questionCount, addedBy: questionPacks.addedBy, addedAt: questionPacks.addedAt })
      .from(questionPacks)
      .where(eq(questionPacks.guildId, guildId))
      .orderBy(asc(questionPacks.name));
  }

  async remove(guildId: string, name: string): Promise<boolean> {
    const rows = await this.db
      .delete(questionPacks)
      .where(and(eq(questionPacks.guildId, guildId), eq(questionPacks.name, name)))
      .returning({ id: questionPacks.id });
    return rows.length > 0;
  }

  /** Every pack question of a server, keyed by its pack-scoped id. */
  async questions(guildId: string): Promise<{ pack: string; questions: Question[] }[]> {
    const rows = await this.db
      .select({ name: questionPacks.name, json: questionPacks.questionsJson })
      .from(questionPacks)
      .where(eq(questionPacks.guildId, guildId))
      .orderBy(asc(questionPacks.name));
    return rows.map((r) => ({ pack: r.name, questions: JSON.parse(r.json) as Question[] }));
  }
}
