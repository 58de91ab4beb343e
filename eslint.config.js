import { configApp } from '@adonisjs/eslint-config'

export default configApp({ ignores: ['build/**', '.data/**', '.adonisjs/**', 'helm/**', 'terraform/**'] })
