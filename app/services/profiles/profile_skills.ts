import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/*
| The normalized skill list: [slug, display name, aliases (lower case)]. Seeded by
| migration 0040 and by `seedSkillList` (idempotent; also used by tests after a reset).
| Learners pick skills by name, slug or alias; anything else is refused.
*/
export const SKILLS: [string, string, string[]][] = [
  ['javascript', 'JavaScript', ['js', 'ecmascript']],
  ['typescript', 'TypeScript', ['ts']],
  ['python', 'Python', ['py']],
  ['java', 'Java', []],
  ['csharp', 'C#', ['c sharp', 'c-sharp', 'dotnet', '.net']],
  ['cpp', 'C++', ['c plus plus', 'cplusplus']],
  ['go', 'Go', ['golang']],
  ['rust', 'Rust', []],
  ['sql', 'SQL', ['postgresql', 'postgres', 'mysql']],
  ['react', 'React', ['reactjs', 'react.js']],
  ['nodejs', 'Node.js', ['node', 'node js']],
  ['html-css', 'HTML & CSS', ['html', 'css']],
  ['aws', 'Amazon Web Services', ['amazon web services']],
  ['docker', 'Docker', ['containers']],
  ['kubernetes', 'Kubernetes', ['k8s']],
  ['git', 'Git', ['github', 'version control']],
  ['data-analysis', 'Data analysis', ['data analytics', 'analytics']],
  ['excel', 'Microsoft Excel', ['ms excel', 'spreadsheets']],
  ['machine-learning', 'Machine learning', ['ml']],
  ['project-management', 'Project management', ['pm', 'project manager']],
  ['communication', 'Communication', ['communication skills']],
  ['teamwork', 'Teamwork', ['collaboration']],
  ['leadership', 'Leadership', []],
  ['customer-service', 'Customer service', ['customer support']],
  ['sales', 'Sales', []],
  ['marketing', 'Marketing', ['digital marketing']],
  ['graphic-design', 'Graphic design', ['design']],
  ['ux-design', 'UX design', ['ux', 'user experience', 'ui/ux']],
  ['accounting', 'Accounting', ['bookkeeping']],
  ['public-speaking', 'Public speaking', ['presentation']],
]

/** Inserts missing skills (existing rows are left alone). */
export async function seedSkillList(client: QueryClientContract) {
  await client
    .table('skills')
    .insert(SKILLS.map(([slug, name, aliases]) => ({ slug, name, aliases })))
    .onConflict('slug')
    .ignore()
}
