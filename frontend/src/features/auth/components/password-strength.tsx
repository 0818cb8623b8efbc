import { Box, Progress, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { checkLength, estimateScore, MIN_LENGTH, MIN_SCORE } from './password-policy';

type Strength = { kind: 'empty' } | { kind: 'length'; problem: 'too_short' | 'too_long' } | { kind: 'score'; score: number };

const colors = ['alert', 'alert', 'warning', 'success', 'success'] as const;

/**
 * How strong a new password looks by the server's rules: its length at once, then zxcvbn's
 * estimate with the user's own name and email counting against it. Advice only: the server
 * decides when the form is sent.
 */
export function PasswordStrength({ password, inputs, id }: { password: string; inputs: string[]; id?: string }) {
  const { t } = useTranslation();
  const [scored, setScored] = useState<{ password: string; score: number } | null>(null);
  const problem = checkLength(password);
  // By value: a caller's fresh array each render must not start a new estimate.
  const inputsKey = inputs.join('\n');

  useEffect(() => {
    if (problem) return;
    let active = true;
    const timer = setTimeout(() => {
      void estimateScore(password, inputsKey.split('\n')).then((score) => {
        if (active) setScored({ password, score });
      });
    }, 150);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [password, inputsKey, problem]);

  let strength: Strength;
  if (problem === 'required') strength = { kind: 'empty' };
  else if (problem) strength = { kind: 'length', problem };
  else if (scored?.password === password) strength = { kind: 'score', score: scored.score };
  else strength = { kind: 'empty' };

  const value = strength.kind === 'score' ? (strength.score + 1) * 20 : strength.kind === 'length' ? 10 : 0;
  const color = (strength.kind === 'score' ? colors[strength.score] : undefined) ?? 'alert';
  const label =
    strength.kind === 'empty'
      ? t('account.strength.rules', { min: MIN_LENGTH })
      : strength.kind === 'length'
        ? t(`account.strength.${strength.problem}`, { min: MIN_LENGTH })
        : t(`account.strength.score${strength.score}` as 'account.strength.score0');

  return (
    <Box id={id} data-testid="password-strength" data-score={strength.kind === 'score' ? strength.score : undefined}>
      <Box aria-hidden>
        <Progress value={value} color={color} size="sm" />
      </Box>
      <Text size="sm" mt={4} role="status" aria-live="polite">
        {label}
        {strength.kind === 'score' && strength.score < MIN_SCORE && ` ${t('account.strength.weakHelp')}`}
      </Text>
    </Box>
  );
}
