import { configApp } from '@adonisjs/eslint-config'

export default configApp(
  { ignores: ['build/**', '.data/**', '.adonisjs/**', 'helm/**', 'terraform/**', 'database/schema.ts', 'clients/typescript/schema.d.ts'] },
  {
    // Tests read best as `(await client.get(...)).assertStatus(200)`.
    files: ['tests/**/*.ts', 'database/seeders/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off' },
  }
)
