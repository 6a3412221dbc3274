import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertOctagon } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { useFeedEvents } from '../../live/LiveContext';
import { LINK } from '../Transaction/colors';
import { recallPath } from './api';

/**
 * Tells the signed-in person, on whatever page, when a recall that concerns their
 * organization is recorded (the feed sends `recall.recorded` only to those). The feed
 * also refreshes every recall query.
 */
export function RecallNotices() {
  const navigate = useNavigate();
  useFeedEvents((event) => {
    if (event.kind !== 'recall.recorded') return;
    const id = typeof event.payload['id'] === 'string' ? event.payload['id'] : null;
    const reason = typeof event.payload['reason'] === 'string' ? event.payload['reason'] : null;
    notifications.show({
      id: `recall-${String(event.id)}`,
      color: 'red',
      icon: <IconAlertOctagon size={18} aria-hidden />,
      autoClose: false,
      title: id === null ? 'A recall concerns your organization' : `Recall ${id} concerns your organization`,
      message: (
        <>
          {reason !== null && <Text size="sm">{reason}</Text>}
          <Anchor
            component="button"
            type="button"
            c={LINK}
            size="sm"
            fw={600}
            onClick={() => {
              void navigate(id === null ? '/recalls' : recallPath(id));
            }}
          >
            {id === null ? 'See the recalls' : 'Open the recall'}
          </Anchor>
        </>
      ),
    });
  });
  return null;
}
