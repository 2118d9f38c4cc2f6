import { parseQuestionPack, type Episode } from '../content/index.js';
import type { PackSummary, QuestionPackRepository } from '../db/repositories/question-packs.js';
import { triviaRefusal } from './problems.js';

export const MAX_PACK_BYTES = 256 * 1024;
const PACK_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const PACK_FILE = /\.(ya?ml|json)$/i;

export interface PackUpload {
  guildId: string;
  fileName: string;
  /** The file's size as Discord reports it, checked before anything is downloaded. */
  bytes: number;
  /** The name the admin chose; the file name (without its extension) otherwise. */
  name: string | null;
  /** Fetches the file's text (the adapter's job: it knows where Discord keeps attachments). Null when that failed. */
  download(): Promise<string | null>;
  addedBy: string;
  now: Date;
}

export type PackUploadResult =
  | { status: 'saved'; name: string; replaced: boolean; questionCount: number }
  /** The file was read but has problems: nothing was saved. One line per problem, naming the entry. */
  | { status: 'invalid'; problems: readonly string[] };

/** A server's own question packs: validated like the shipped bank, then stored. */
export class QuestionPacks {
  constructor(private readonly deps: { repo: QuestionPackRepository; episodes: readonly Episode[] }) {}

  list(guildId: string): Promise<PackSummary[]> {
    return this.deps.repo.list(guildId);
  }

  async remove(guildId: string, name: string): Promise<void> {
    // A name no pack can have (control characters, which Postgres cannot even compare) is simply not there.
    if (!PACK_NAME.test(name) || !(await this.deps.repo.remove(guildId, name))) throw triviaRefusal({ code: 'no-such-pack', name });
  }

  /** Checks the file type, the name and the size (nothing downloaded yet); returns the pack's name. */
  preflight(upload: Pick<PackUpload, 'fileName' | 'bytes' | 'name'>): string {
    if (!PACK_FILE.test(upload.fileName)) throw triviaRefusal({ code: 'not-a-pack-file', fileName: upload.fileName });
    const name = (upload.name ?? upload.fileName.replace(PACK_FILE, '')).toLowerCase();
    if (!PACK_NAME.test(name)) throw triviaRefusal({ code: 'bad-pack-name' });
    if (upload.bytes > MAX_PACK_BYTES) {
      throw triviaRefusal({ code: 'pack-too-large', kilobytes: Math.ceil(upload.bytes / 1024), maxKilobytes: MAX_PACK_BYTES / 1024 });
    }
    return name;
  }

  async add(upload: PackUpload): Promise<PackUploadResult> {
    const name = this.preflight(upload);
    const text = await upload.download();
    if (text === null) throw triviaRefusal({ code: 'pack-download-failed' });
    const parsed = parseQuestionPack(text, upload.fileName, this.deps.episodes);
    if (!parsed.ok) return { status: 'invalid', problems: parsed.problems };
    const saved = await this.deps.repo.save(upload.guildId, name, parsed.questions, upload.addedBy, upload.now);
    return { status: 'saved', name, replaced: saved === 'replaced', questionCount: parsed.questions.length };
  }
}
