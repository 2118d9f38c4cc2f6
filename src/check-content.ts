// `npm run check-content`: validates data/ (one line per problem) and prints what the bank holds per episode.
import { coverageByEpisode } from './content/coverage.js';
import { ContentError, loadContent } from './content/index.js';

try {
  const content = loadContent();
  const lines = coverageByEpisode(content).map((e) => {
    const tf = e.trueFalse.true + e.trueFalse.false;
    const falseShare = tf === 0 ? '-' : `${Math.round((100 * e.trueFalse.false) / tf)}% false`;
    return (
      `${e.code} ${e.title}: ${e.questions} questions ` +
      `(MC ${e.byType['multiple-choice']}, TF ${e.byType['true-false']} ${falseShare}, text ${e.byType['free-text']}; ` +
      `easy ${e.byDifficulty.easy}, medium ${e.byDifficulty.medium}, hard ${e.byDifficulty.hard}), ` +
      `myths ${e.myths.myth + e.myths.fact} (${e.myths.fact} fact)`
    );
  });
  const tf = content.questions.filter((q) => q.type === 'true-false');
  const falses = tf.filter((q) => q.type === 'true-false' && !q.answer).length;
  process.stdout.write(
    `${lines.join('\n')}\nIn all: ${content.questions.length} questions (${tf.length} true/false, ${falses} false), ` +
      `${content.myths.length} myths, ${content.episodes.length} episodes, ${content.plans.length} plans. No problems.\n`,
  );
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  process.stderr.write(`${error.problems.length} problem(s) in data/:\n${error.message}\n`);
  process.exitCode = 1;
}
