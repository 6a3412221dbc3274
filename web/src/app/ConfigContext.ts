import { createContext, useContext } from 'react';
import type { AppConfig } from '../api/types';

export const ConfigContext = createContext<AppConfig | null>(null);

/** The configuration loaded from /api/v1/config at startup. */
export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (config === null) throw new Error('useAppConfig() needs a <ConfigGate> above it');
  return config;
}
