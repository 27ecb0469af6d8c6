export {
  MAX_EMAIL_LENGTH,
  collapseSpaces,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
} from './contact';
