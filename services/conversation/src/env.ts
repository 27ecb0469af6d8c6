// The only file of the conversation service that reads process.env (docs/architecture.md, Configuration).
import { env, z } from '@crm/config';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvWithMasterKey, privacyVariables } from '@crm/privacy';
import { subgraphServiceEnv } from '@crm/subgraph';

export const envSchema = subgraphServiceEnv(4003)
  // the master key of the directory's copy of the clients (docs/privacy.md)
  .extend(privacyVariables())
  .extend({
    /**
     * failed authentications with the bot from one address in one UTC day (a wrong code, a denied
     * identity, a matricule nobody holds); past it the bot stops trying for that address
     */
    BOT_AUTH_FAILURES_PER_ADDRESS_PER_DAY: z.coerce.number().int().min(1).default(20),
    /** a client waiting this long for an advisor is offered a call-back (he may keep waiting) */
    HANDOFF_CALL_BACK_AFTER_SECONDS: z.coerce.number().int().min(10).default(300),
    /** the call-back deadline the client is given */
    HANDOFF_CALL_BACK_WITHIN_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(48 * 60)
      .default(120),
    /**
     * the bot's voice (docs/voice.md): `offline` (eSpeak NG shipped in an npm package, French, no
     * key, no network), `elevenlabs` (ELEVENLABS_API_KEY required) or `none` (text only)
     */
    TTS_PROVIDER: z.enum(['offline', 'elevenlabs', 'none']).default('offline'),
    /** what transcribes the client's recordings: `elevenlabs` or `none` (no offline French model ships in npm) */
    STT_PROVIDER: z.enum(['elevenlabs', 'none']).default('none'),
    /** the audio store (file system), shared with the gateway, which serves it at /audio/ */
    /** where the bot's audio is kept: `file` (AUDIO_DIR) or `postgres` (the service's database,
     * served to the gateway at /audio/ on this service's port) */
    AUDIO_STORE: z.enum(['file', 'postgres']).default('file'),
    /** audio older than this is deleted (postgres store): the words may name the client */
    AUDIO_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
    AUDIO_DIR: z.string().min(1).default(join(tmpdir(), 'crm-audio')),
    /** where the gateway serves the store, as written in audio_url: same origin by default */
    AUDIO_PUBLIC_BASE: z.string().min(1).default('/audio/'),
    /** one provider call's deadline, and how long a turn waits for its audio before answering */
    VOICE_TIMEOUT_MS: z.coerce.number().int().min(100).default(8000),
    VOICE_WAIT_MS: z.coerce.number().int().min(0).default(4000),
    /** load the voice at start (the offline voice takes seconds to load its data), not on the first sentence */
    VOICE_WARM_UP: env.boolean(true),
    /** consecutive provider failures that open the circuit breaker, and how long it stays open */
    VOICE_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
    VOICE_BREAKER_OPEN_SECONDS: z.coerce.number().int().min(1).default(30),
    /** ElevenLabs (its HTTP API): the key, the base URL (tests point it at a local server) */
    ELEVENLABS_API_KEY: z.string().min(1).optional(),
    ELEVENLABS_BASE_URL: z.string().url().default('https://api.elevenlabs.io'),
    /** a French-capable voice and the multilingual model */
    ELEVENLABS_VOICE_ID: z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'letters and digits only')
      .default('21m00Tcm4TlvDq8ikWAM'),
    ELEVENLABS_TTS_MODEL: z.string().min(1).default('eleven_multilingual_v2'),
    ELEVENLABS_OUTPUT_FORMAT: z
      .string()
      .regex(/^mp3_\d+_\d+$/, 'an MP3 format such as mp3_44100_128')
      .default('mp3_44100_128'),
    ELEVENLABS_STT_MODEL: z.string().min(1).default('scribe_v1'),
  })
  .superRefine((env, ctx) => {
    for (const [name, provider] of [
      ['TTS_PROVIDER', env.TTS_PROVIDER],
      ['STT_PROVIDER', env.STT_PROVIDER],
    ] as const)
      if (provider === 'elevenlabs' && !env.ELEVENLABS_API_KEY)
        ctx.addIssue({
          code: 'custom',
          path: ['ELEVENLABS_API_KEY'],
          message: `required when ${name} is elevenlabs`,
        });
  });
export type Env = z.infer<typeof envSchema>;

/** At boot: the variables, then the master key (exit 78 on either, the variable named). */
export const loadEnv = (source: NodeJS.ProcessEnv = process.env): Env =>
  loadEnvWithMasterKey(envSchema, source);
