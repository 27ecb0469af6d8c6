export {
  DEFAULT_PHONE_REGION,
  MAX_EMAIL_LENGTH,
  collapseSpaces,
  isPhoneRegion,
  normalizeEmail,
  normalizePersonName,
  normalizePhone,
  type PhoneRegion,
} from './contact';
